"""The French wording of every email a candidate receives (events.CANDIDATE_EVENTS), sent to
candidates who applied in French; each can be edited per company like the English one."""

from .events import NotificationEvent as E

SIGNATURE = "\n-- \nL’équipe recrutement de {{ company_name }}\n"
# Le lien personnel de connexion du candidat, dans chaque e-mail qu’il reçoit.
PORTAL = (
    "{% if portal_link %}\nVotre candidature, et ce que vous pouvez y faire : {{ portal_link }}\n{% endif %}"
)

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
        "{% if is_paid %}\nCette étape est rémunérée.\n{% endif %}" + PORTAL + SIGNATURE,
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
        "\nL’invitation de calendrier est jointe.\n" + PORTAL + SIGNATURE,
    ),
    E.INTERVIEW_RESCHEDULED: (
        "Nouvel horaire : {{ interview_name }} pour {{ job_title }}, {{ interview_start }}",
        "Bonjour {{ recipient_name }},\n\n"
        "L’entretien {{ interview_name }} pour le poste {{ job_title }} est déplacé du "
        "{{ previous_start }} au :\n"
        "Quand : de {{ interview_start }} à {{ interview_end }}\n"
        "{% if interview_location %}Où : {{ interview_location }}\n{% endif %}"
        "{% if interview_link %}Lien : {{ interview_link }}\n{% endif %}"
        "\nL’invitation de calendrier mise à jour est jointe.\n" + PORTAL + SIGNATURE,
    ),
    E.INTERVIEW_CANCELLED: (
        "Annulé : {{ interview_name }} pour {{ job_title }}, {{ interview_start }}",
        "Bonjour {{ recipient_name }},\n\n"
        "L’entretien {{ interview_name }} pour le poste {{ job_title }} prévu le {{ interview_start }} "
        "est annulé. L’invitation jointe le retire de votre calendrier.\n" + PORTAL + SIGNATURE,
    ),
    E.INTERVIEW_REMINDER: (
        "Demain : {{ interview_name }} pour {{ job_title }}, {{ interview_start }}",
        "Bonjour {{ recipient_name }},\n\n"
        "Un rappel : l’entretien {{ interview_name }} pour le poste {{ job_title }} commence le "
        "{{ interview_start }}.\n"
        "{% if interview_location %}Où : {{ interview_location }}\n{% endif %}"
        "{% if interview_link %}Lien : {{ interview_link }}\n{% endif %}"
        "Outils d’IA : {{ ai_policy }}\n"
        "{% if no_ai_blocks %}Sans IA aux minutes {{ no_ai_blocks }} de la séance.\n{% endif %}"
        + PORTAL
        + SIGNATURE,
    ),
    E.REJECTED: (
        "Votre candidature : {{ job_title }}",
        "Bonjour {{ candidate_name }},\n\n"
        "Merci pour le temps que vous nous avez consacré pour le poste {{ job_title }}. Après "
        "mûre réflexion, nous avons décidé de ne pas donner suite à votre candidature. Nous vous "
        "souhaitons le meilleur dans votre recherche.\n" + PORTAL + SIGNATURE,
    ),
    E.WITHDRAWN: (
        "Votre candidature au poste {{ job_title }} est retirée",
        "Bonjour {{ candidate_name }},\n\n"
        "Comme vous l’avez demandé, nous avons retiré votre candidature au poste {{ job_title }}. "
        "Merci de l’intérêt que vous portez à {{ company_name }} ; vous pouvez postuler à nouveau "
        "quand vous le souhaitez.\n" + PORTAL + SIGNATURE,
    ),
    E.HIRED: (
        "Bienvenue chez {{ company_name }} !",
        "Bonjour {{ candidate_name }},\n\n"
        "Nous sommes ravis que vous rejoigniez {{ company_name }} au poste {{ job_title }}. Les "
        "détails de votre arrivée suivent très bientôt.\n" + PORTAL + SIGNATURE,
    ),
    E.PORTAL_LINK: (
        "Votre lien pour suivre vos candidatures chez {{ company_name }}",
        "Bonjour {{ candidate_name }},\n\n"
        "Voici votre lien personnel pour voir où en sont vos candidatures chez {{ company_name }}, "
        "et agir dessus :\n{{ portal_link }}\n\n"
        "Il ne fonctionne qu’une fois, jusqu’au {{ expires }} ; vous pouvez en demander un nouveau à "
        "tout moment. Si vous ne l’avez pas demandé, ignorez cet e-mail : rien ne se passe sans le "
        "lien.\n" + SIGNATURE,
    ),
    E.PORTAL_EMAIL_CHANGE: (
        "Confirmez votre nouvelle adresse e-mail",
        "Bonjour {{ candidate_name }},\n\n"
        "Vous avez demandé à {{ company_name }} de vous écrire désormais à {{ new_email }}. "
        "Confirmez-le avec ce lien (il ne fonctionne qu’une fois, jusqu’au {{ expires }}) :\n"
        "{{ confirm_link }}\n\n"
        "Si vous ne l’avez pas demandé, ignorez cet e-mail : votre adresse reste la même.\n" + SIGNATURE,
    ),
    E.PORTAL_DETAILS_CHANGED: (
        "Vos coordonnées sont mises à jour",
        "Bonjour {{ candidate_name }},\n\n"
        "Vos coordonnées chez {{ company_name }} ont été modifiées : {{ changes|join:', ' }}.\n"
        "Si ce n’est pas vous, dites-le-nous en répondant à cet e-mail.\n" + PORTAL + SIGNATURE,
    ),
    E.PORTAL_ERASURE_REQUESTED: (
        "Votre demande d’effacement de vos données",
        "Bonjour {{ candidate_name }},\n\n"
        "{% if erased %}Comme vous l’avez demandé, {{ company_name }} a effacé vos données "
        "personnelles.{% else %}Nous avons bien reçu votre demande d’effacement de vos données "
        "personnelles. L’équipe recrutement de {{ company_name }} la confirme rapidement ; une fois "
        "que c’est fait, vous ne recevez plus d’e-mail de notre part.{% endif %}\n" + SIGNATURE,
    ),
    E.TRACK_CHOSEN: (
        "{{ job_title }} : votre choix pour {{ track_stage }}",
        "Bonjour {{ candidate_name }},\n\n"
        "{% if previous_track %}Votre choix pour {{ track_stage }} passe de {{ previous_track }} à "
        "{{ track_name }}.{% else %}Vous avez choisi {{ track_name }} pour {{ track_stage }}.{% endif %} "
        "Vous pouvez le changer tant que les entretiens de cette étape ne sont pas planifiés.\n"
        + PORTAL
        + SIGNATURE,
    ),
    E.HANDIN_RECEIVED: (
        "Nous avons reçu votre rendu : {{ kit_name }}",
        "Bonjour {{ candidate_name }},\n\n"
        "Merci : nous avons reçu votre rendu pour {{ kit_name }} (poste {{ job_title }})."
        "{% if is_late %} Il est arrivé après la date limite ({{ deadline }}) ; l’équipe en tiendra "
        "compte.{% endif %}\n"
        "{% for f in files %}- {{ f }}\n{% endfor %}{% for l in links %}- {{ l }}\n{% endfor %}"
        + PORTAL
        + SIGNATURE,
    ),
    E.EXTENSION_UPDATED: (
        "{{ kit_name }} : demande de délai{% if extension_status == 'accepted' %} acceptée"
        "{% elif extension_status == 'refused' %} refusée{% else %} reçue{% endif %}",
        "Bonjour {{ candidate_name }},\n\n"
        "{% if extension_status == 'requested' %}Nous avons reçu votre demande de délai pour "
        "{{ kit_name }} (jusqu’au {{ requested_deadline }}) ; l’équipe vous répondra bientôt."
        "{% elif extension_status == 'accepted' %}Votre demande de délai pour {{ kit_name }} est "
        "acceptée : la nouvelle date limite est le {{ deadline }}."
        "{% else %}Votre demande de délai pour {{ kit_name }} n’a pas pu être acceptée : la date "
        "limite reste le {{ deadline }}.{% endif %}{% if note %}\n{{ note }}{% endif %}\n"
        + PORTAL
        + SIGNATURE,
    ),
    E.CANDIDATE_EMAIL: (
        "{{ job_title }} chez {{ company_name }}",
        "Bonjour {{ candidate_name }},\n\n\n\n{{ sender_name }}\n" + PORTAL + SIGNATURE,
    ),
    E.OFFER_SENT: (
        "Votre offre de {{ company_name }} : {{ job_title }}",
        "Bonjour {{ candidate_name }},\n\n"
        "Nous avons le plaisir de vous proposer le poste {{ job_title }}. Votre lettre d’offre est "
        "jointe : {{ salary }}, à partir du {{ start_date }}.\n\n"
        "Vous pouvez la relire, l’accepter ou la refuser dans votre espace candidat jusqu’au "
        "{{ expires_on }}.\n" + PORTAL + SIGNATURE,
    ),
}
