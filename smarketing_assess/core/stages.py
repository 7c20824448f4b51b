"""The funnel's stages, named once: as funnel.csv's columns, as rates and CRM mappings name them.

A stage has two names: its funnel.csv column (`opportunities`) and its singular (`opportunity`),
which names rates (`sql_to_opportunity`) and the stages of a CRM mapping. Every other table of
stages is built from this one.
"""

from __future__ import annotations

from typing import Literal, get_args

# the stages a CRM mapping recognises, after the lead (its keys in `leads.stages`), in order
CrmStage = Literal["mql", "sal", "sql", "opportunity", "customer"]
CRM_STAGES: tuple[CrmStage, ...] = get_args(CrmStage)

# (funnel.csv column, singular) of every stage, in the funnel's order
_NAMES = (("visitors", "visitor"), ("leads", "lead"), ("mql", "mql"), ("sal", "sal"), ("sql", "sql"),
          ("opportunities", "opportunity"), ("customers", "customer"))

STAGES = tuple(column for column, _ in _NAMES)  # the funnel's stages in order, named as funnel.csv's columns
SINGULAR = dict(_NAMES)  # funnel.csv column -> singular
PLURAL = {singular: column for column, singular in _NAMES}  # singular -> funnel.csv column
# a CRM mapping's stage -> its funnel.csv column
FUNNEL_NAME: dict[str, str] = {stage: PLURAL[stage] for stage in CRM_STAGES}
