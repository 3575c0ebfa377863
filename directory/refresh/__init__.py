"""`flask refresh` (`commands.py`): the one command a scheduler runs daily to keep every source fresh.

Each source is a `Step`: a name (as recorded in `refresh_runs` and shown on /status), a label,
a callable that takes a limit (how many companies at most) and returns a `StepResult`, and
its default limit. Adding a source is one line in `steps.STEPS`. Every step's run is recorded
(last success, companies refreshed, errors) whether it worked or not, and one failing step
does not stop the others; the command exits non-zero when any step failed, so the
scheduler's own alerting sees it.

The whole run holds a lock every host shares (`locking.py`): with the scheduler installed on
two hosts by mistake, or a run that outlasts its interval, a second run exits at once with
ALREADY_RUNNING instead of reading every source twice.
"""
