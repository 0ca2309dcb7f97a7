"""next-year: start a new budget year from a department folder (issue 7).

Every year one more, plan dates and one-year periods one year later, the
self-evaluation removed; everything else -- comments, key order, layout, the
other files of the folder -- as it was.  See ``rollover`` for the folder,
``edit`` for the TOML editing and ``plan`` for the multi-year rules.
"""

from .dates import shift_date, shift_date_text
from .edit import EVALUATION_KEYS, EditError, Removed, roll_department_text, roll_project_text
from .plan import Decision, Kind, decide
from .rollover import NextYearError, NextYearResult, ProjectRoll, roll_over

__all__ = [
    "roll_over", "NextYearError", "NextYearResult", "ProjectRoll", "Decision", "Kind", "decide",
    "roll_project_text", "roll_department_text", "Removed", "EditError", "EVALUATION_KEYS",
    "shift_date", "shift_date_text",
]
