"""The dashboard's filter form: company, job and date range."""

from django import forms

# The job <select> has at most 100 options ("All jobs" included); a job of the user's companies
# outside it still works.
MAX_JOB_CHOICES = 100


class Select(forms.Select):
    """A select drawing its options in one template loop (the HTML of Django's own)."""

    template_name = "admin/dashboard/select.html"


class DashboardFilterForm(forms.Form):
    company = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, widget=Select)
    job = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, widget=Select)
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, *, jobs, companies):
        super().__init__(data)
        self.jobs = {job.pk: job for job in jobs}
        self.fields["company"].choices = [("", "All my companies")] + [(c.pk, c.name) for c in companies]

        def label(job):
            return f"{job.title} ({job.company.name})" if len(companies) > 1 else job.title

        # Every job of the user's companies is a valid choice; the list offers MAX_JOB_CHOICES - 1
        # of them, those of the chosen company first, the chosen job always.
        self.fields["job"].choices = [("", "All jobs")] + [(job.pk, label(job)) for job in jobs]
        company, chosen = str(self.data.get("company", "")), str(self.data.get("job", ""))
        offered = sorted(jobs, key=lambda job: str(job.company_id) != company)[: MAX_JOB_CHOICES - 1]
        if chosen.isdigit() and int(chosen) in self.jobs and self.jobs[int(chosen)] not in offered:
            offered[-1:] = [self.jobs[int(chosen)]]  # the chosen job takes the last place
        self.fields["job"].widget.choices = [("", "All jobs")] + [(job.pk, label(job)) for job in offered]

    def clean(self):
        data = super().clean()
        job_id, company_id = data.get("job"), data.get("company")
        if job_id and company_id and self.jobs[job_id].company_id != company_id:
            self.add_error("job", "This job belongs to another company than the one chosen.")
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end of the range is before its start.")
        return data
