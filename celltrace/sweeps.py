"""The worker's periodic round: resend what a crash left, write the reminders coming due.

`celltrace worker` (and the demo's worker thread) runs `run_sweeps` when it starts and
every SWEEP_SECONDS after, in a thread beside the queue's worker. Each part is idempotent
(a message's key names its event and recipient), so a round run twice, or by two workers
at once, writes and sends nothing twice.
"""

import logging
import threading
import time

from django.db import close_old_connections, transaction

logger = logging.getLogger(__name__)

SWEEP_SECONDS = 60


def run_sweeps(*, resend: bool = True) -> dict[str, int]:
    """Run one round; return how many messages each part wrote or queued again.

    Without `resend`, only the reminders: the demo's build, whose messages all go to the
    queue when its one transaction commits.
    """
    from celltrace.followup.notices import remind_follow_up
    from celltrace.homecare.notices import remind_home_care
    from celltrace.outbox.sending import resend_unsent
    from celltrace.plans.notices import remind_admissions
    from celltrace.questionnaires.notices import remind_questionnaires

    counts = {}
    sweeps = [
        ("admission reminders", remind_admissions),
        ("follow-up reminders", remind_follow_up),
        ("questionnaire reminders", remind_questionnaires),
        ("home-care reminders", remind_home_care),
    ]
    if resend:
        sweeps.append(("queued again", resend_unsent))
    for name, sweep in sweeps:
        with transaction.atomic():
            counts[name] = sweep()
    return counts


def start_sweeping(*, every: float = SWEEP_SECONDS) -> threading.Thread:
    """Run the round now and every `every` seconds, in a thread that dies with the worker."""

    def loop():
        while True:
            close_old_connections()
            try:
                run_sweeps()
            except Exception:  # a failed round is logged; the next one tries again
                logger.exception("The worker's sweep failed")
            finally:
                close_old_connections()
            time.sleep(every)

    thread = threading.Thread(target=loop, name="celltrace-sweeps", daemon=True)
    thread.start()
    return thread
