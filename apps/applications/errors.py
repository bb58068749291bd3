class ServiceError(Exception):
    """A refused change, with the reasons to show the person who asked for it."""

    def __init__(self, *reasons: str):
        super().__init__("; ".join(reasons))
        self.reasons = list(reasons)


class DuplicateActivity(ServiceError):
    """The plan already holds this very activity: a second click on Add, or a second tab."""


class AlreadyApplied(ServiceError):
    """The student already has an application to this call (not one they may start again):
    the one application of the call, for the page to open instead."""

    def __init__(self, application, *reasons: str):
        super().__init__(*reasons)
        self.application = application


class DocumentKindTaken(ServiceError):
    """The application already holds a document of this kind, which the change may not
    replace (services.document_store with replace=False)."""


class NoStayForCall(ServiceError):
    """The student's plan has no study stay in the call's academic year: an application to it
    would have no destination to choose, so none is started."""
