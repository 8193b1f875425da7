"""The French wording of every email a candidate receives (events.CANDIDATE_EVENTS), sent to
candidates who applied in French; each can be edited per company like the English one."""

from .events import NotificationEvent as E

SIGNATURE = "\n-- \nL’équipe recrutement de {{ company_name }}\n"

DEFAULTS_FR: dict[str, tuple[str, str]] = {
    E.APPLICATION_RECEIVED: (
        "Nous avons bien reçu votre candidature : {{ job_title }}",
        "Bonjour {{ candidate_name }},\n\n"
        "Merci d’avoir postulé au poste {{ job_title }} chez {{ company_name }}. Nous lisons chaque "
        "candidature et reviendrons vers vous rapidement.\n"
        "{% if stage_instructions %}\nPremière étape, {{ stage_name }} :\n"
        "{{ stage_instructions }}\n{% endif %}"
        "{% if portal_link %}\nSuivez votre candidature ici : {{ portal_link }}\n{% endif %}" + SIGNATURE,
    ),
    E.STAGE_ENTERED: (
        "{{ job_title }} : prochaine étape, {{ stage_name }}",
        "Bonjour {{ candidate_name }},\n\n"
        "Votre candidature au poste {{ job_title }} passe à l’étape {{ stage_name }}.\n"
        "{% if stage_instructions %}\n{{ stage_instructions }}\n{% endif %}"
        "{% if sessions %}\nCe qui vous attend :\n{% for s in sessions %}"
        "- {{ s.name }} : {{ s.format }}, {{ s.duration }}. {{ s.ai_policy }}."
        "{% if s.no_ai_blocks %} Sans IA aux minutes {{ s.no_ai_blocks }} de la séance.{% endif %}"
        "{% if s.ai_note %} {{ s.ai_note }}{% endif %}\n{% endfor %}{% endif %}"
        "{% if tracks %}\nVous pouvez choisir comment passer cette étape : {{ tracks|join:', ' }}. "
        "Répondez à cet e-mail en indiquant votre choix.\n{% endif %}"
        "{% if is_paid %}\nCette étape est rémunérée.\n{% endif %}" + SIGNATURE,
    ),
    E.INTERVIEW_SCHEDULED: (
        "Entretien : {{ interview_name }} pour {{ job_title }}, {{ interview_start }}",
        "Bonjour {{ recipient_name }},\n\n"
        "L’entretien {{ interview_name }} pour le poste {{ job_title }} est planifié :\n"
        "Quand : de {{ interview_start }} à {{ interview_end }}\n"
        "Format : {{ format }}, {{ duration }}\n"
        "{% if interview_location %}Où : {{ interview_location }}\n{% endif %}"
        "{% if interview_link %}Lien : {{ interview_link }}\n{% endif %}"
        "Outils d’IA : {{ ai_policy }}{% if ai_note %}. {{ ai_note }}{% endif %}\n"
        "{% if no_ai_blocks %}Sans IA aux minutes {{ no_ai_blocks }} de la séance.\n{% endif %}"
        "{% if interviewers %}Avec : {{ interviewers|join:', ' }}\n{% endif %}"
        "\nL’invitation de calendrier est jointe.\n" + SIGNATURE,
    ),
    E.INTERVIEW_RESCHEDULED: (
        "Nouvel horaire : {{ interview_name }} pour {{ job_title }}, {{ interview_start }}",
        "Bonjour {{ recipient_name }},\n\n"
        "L’entretien {{ interview_name }} pour le poste {{ job_title }} est déplacé du "
        "{{ previous_start }} au :\n"
        "Quand : de {{ interview_start }} à {{ interview_end }}\n"
        "{% if interview_location %}Où : {{ interview_location }}\n{% endif %}"
        "{% if interview_link %}Lien : {{ interview_link }}\n{% endif %}"
        "\nL’invitation de calendrier mise à jour est jointe.\n" + SIGNATURE,
    ),
    E.INTERVIEW_CANCELLED: (
        "Annulé : {{ interview_name }} pour {{ job_title }}, {{ interview_start }}",
        "Bonjour {{ recipient_name }},\n\n"
        "L’entretien {{ interview_name }} pour le poste {{ job_title }} prévu le {{ interview_start }} "
        "est annulé. L’invitation jointe le retire de votre calendrier.\n" + SIGNATURE,
    ),
    E.INTERVIEW_REMINDER: (
        "Demain : {{ interview_name }} pour {{ job_title }}, {{ interview_start }}",
        "Bonjour {{ recipient_name }},\n\n"
        "Un rappel : l’entretien {{ interview_name }} pour le poste {{ job_title }} commence le "
        "{{ interview_start }}.\n"
        "{% if interview_location %}Où : {{ interview_location }}\n{% endif %}"
        "{% if interview_link %}Lien : {{ interview_link }}\n{% endif %}"
        "Outils d’IA : {{ ai_policy }}\n"
        "{% if no_ai_blocks %}Sans IA aux minutes {{ no_ai_blocks }} de la séance.\n{% endif %}" + SIGNATURE,
    ),
    E.REJECTED: (
        "Votre candidature : {{ job_title }}",
        "Bonjour {{ candidate_name }},\n\n"
        "Merci pour le temps que vous nous avez consacré pour le poste {{ job_title }}. Après "
        "mûre réflexion, nous avons décidé de ne pas donner suite à votre candidature. Nous vous "
        "souhaitons le meilleur dans votre recherche.\n" + SIGNATURE,
    ),
    E.WITHDRAWN: (
        "Votre candidature au poste {{ job_title }} est retirée",
        "Bonjour {{ candidate_name }},\n\n"
        "Comme vous l’avez demandé, nous avons retiré votre candidature au poste {{ job_title }}. "
        "Merci de l’intérêt que vous portez à {{ company_name }} ; vous pouvez postuler à nouveau "
        "quand vous le souhaitez.\n" + SIGNATURE,
    ),
    E.HIRED: (
        "Bienvenue chez {{ company_name }} !",
        "Bonjour {{ candidate_name }},\n\n"
        "Nous sommes ravis que vous rejoigniez {{ company_name }} au poste {{ job_title }}. Les "
        "détails de votre arrivée suivent très bientôt.\n" + SIGNATURE,
    ),
}
