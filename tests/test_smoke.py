from tests.hiring.factories import ProcessTemplateFactory
from tests.interviews.factories import InterviewKitFactory, RatingFactory


def test_admin_index_lists_templates_for_company_admin(company_admin_client, company):
    ProcessTemplateFactory(company=company, name="Backend loop")
    response = company_admin_client.get("/admin/hiring/processtemplate/")
    assert response.status_code == 200
    assert "Backend loop" in response.content.decode()


def test_factories_keep_one_company(db):
    rating = RatingFactory()
    interview = rating.scorecard.interview
    assert interview.company == interview.application.company == interview.kit.company
    assert rating.scorecard.interviewer.company == interview.company
    kit = InterviewKitFactory()
    assert kit.rubric.company == kit.company
