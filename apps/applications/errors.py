class ServiceError(Exception):
    """A refused change, with the reasons to show the person who asked for it."""

    def __init__(self, *reasons: str):
        super().__init__("; ".join(reasons))
        self.reasons = list(reasons)
