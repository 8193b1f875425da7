"""The portal's candidate-experience survey: after a decision, once per application, a score from
1 to 5 and a comment, anonymous (interviews.handins: the answer never names the candidate)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from careers.portal.sections import application_section
from careers.portal.session import portal_application, portal_required
from config.ratelimit import rate_limited
from interviews.portal_actions import survey_answer_create
from interviews.portal_selectors import survey_state

SCORES = [(i, str(i)) for i in range(1, 6)]


class SurveyForm(forms.Form):
    score = forms.TypedChoiceField(
        label=gettext_lazy("How was your experience, from 1 (poor) to 5 (excellent)?"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Anything you want to tell us (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def survey_section(request, application) -> dict:
    """The survey form when it is open for this application (two queries at most)."""
    state = survey_state(application=application)
    return {"survey_form": SurveyForm() if state == "open" else None, "survey_answered": state == "answered"}


@require_POST
@rate_limited("apply")
@portal_required
def survey_answer_view(request, application_id):
    application = portal_application(request, application_id)
    form = SurveyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a score from 1 to 5 (the comment is at most 2000 characters)."))
        return redirect("portal:application", application_id=application.pk)
    try:
        survey_answer_create(
            application=application, score=form.cleaned_data["score"], comment=form.cleaned_data["comment"]
        )
    except ValidationError:
        messages.error(request, _("The survey is not open for this application, or you already answered."))
    else:
        messages.success(request, _("Thank you for your answer."))
    return redirect("portal:application", application_id=application.pk)


# The application page's section of this feature (careers.portal.sections).
application_section(survey_section)
