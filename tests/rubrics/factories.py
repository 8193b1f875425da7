from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from rubrics.models import ClauseKind, Competency, HireBarClause, LevelAnchor, Question, RedFlag, Rubric
from tests.hiring.factories import CompanyFactory


class RubricFactory(DjangoModelFactory):
    class Meta:
        model = Rubric

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Rubric {n}")


class CompetencyFactory(DjangoModelFactory):
    class Meta:
        model = Competency

    rubric = factory.SubFactory(RubricFactory)
    name = factory.Sequence(lambda n: f"Competency {n}")
    position = factory.Sequence(lambda n: n)
    weight = Decimal("1.00")


class LevelAnchorFactory(DjangoModelFactory):
    class Meta:
        model = LevelAnchor

    rubric = factory.SubFactory(RubricFactory)
    competency = None
    score = 3
    text = "Solid, some evidence"


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    competency = factory.SubFactory(CompetencyFactory)
    text = "Tell me about a time..."


class RedFlagFactory(DjangoModelFactory):
    class Meta:
        model = RedFlag

    rubric = factory.SubFactory(RubricFactory)
    description = factory.Sequence(lambda n: f"Red flag {n}")


class HireBarClauseFactory(DjangoModelFactory):
    class Meta:
        model = HireBarClause

    rubric = factory.SubFactory(RubricFactory)
    kind = ClauseKind.MIN_AVERAGE
    score = Decimal("3.5")
