"""What one signaling socket may do before the node closes it.

A socket must join within the join deadline, and may send at most ``per_second`` messages a
second on average, in bursts of up to ``burst`` (a token bucket: joining a large room
subscribes to every feed at once). Either limit broken closes the socket with a close code of
its own, so a browser or an operator can tell why.
"""

from __future__ import annotations

import time
from collections.abc import Callable

JOIN_DEADLINE_PASSED = 4408  # close code: no valid join in time
TOO_MANY_MESSAGES = 4429  # close code: the message rate was exceeded


class SocketLimits:
    """The join deadline and message budget of one socket.

    Args:
        join_deadline: seconds from opening to a valid join.
        per_second: messages a second the budget refills with.
        burst: the most messages the budget holds.
        clock: monotonic seconds (tests may pass their own).
    """

    def __init__(
        self,
        join_deadline: float,
        per_second: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._clock = clock
        self._deadline = clock() + join_deadline
        self._per_second = per_second
        self._burst = float(burst)
        self._tokens = float(burst)
        self._refilled = clock()

    def time_to_join(self) -> float:
        """Seconds left to join (0 once the deadline has passed)."""
        return max(0.0, self._deadline - self._clock())

    def take_message(self) -> bool:
        """Spend one message from the budget; False when it is empty."""
        now = self._clock()
        self._tokens = min(self._burst, self._tokens + (now - self._refilled) * self._per_second)
        self._refilled = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True
