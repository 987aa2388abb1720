"""Screen a patient for cell therapy against the clinic's versioned contraindication rules.

Use `ruleset_from_dict` (or `load_ruleset`) to read a rule set, then
`evaluate(ruleset, facts, treatment_date=..., source=...)`; docs/clinical/eligibility.md
explains the rules, the decision precedence, the units and the reference ranges.
"""

from .decision import PERMISSIVENESS, Decision, Outcome, decide
from .engine import Evaluation, RuleResult, evaluate
from .facts import QUESTIONS, Answer, Diagnosis, Fact, HistoryReview, LabResult, Person, Sex, Source
from .loading import RuleSetError, load_ruleset, ruleset_from_dict, ruleset_to_dict
from .rules import Kind, Rule, RuleSet
from .units import UnitError
from .verdict import RecordedDecision, Verdict, may_harvest, may_plan

__all__ = [
    "PERMISSIVENESS",
    "QUESTIONS",
    "Answer",
    "Decision",
    "Diagnosis",
    "Evaluation",
    "Fact",
    "HistoryReview",
    "Kind",
    "LabResult",
    "Outcome",
    "Person",
    "RecordedDecision",
    "Rule",
    "RuleResult",
    "RuleSet",
    "RuleSetError",
    "Sex",
    "Source",
    "UnitError",
    "Verdict",
    "decide",
    "evaluate",
    "load_ruleset",
    "may_harvest",
    "may_plan",
    "ruleset_from_dict",
    "ruleset_to_dict",
]
