class ServiceError(Exception):
    """A refused change, with the reasons to show the person who asked for it."""

    def __init__(self, *reasons: str):
        super().__init__("; ".join(reasons))
        self.reasons = list(reasons)


class DuplicateActivity(ServiceError):
    """The plan already holds this very activity: a second click on Add, or a second tab."""
