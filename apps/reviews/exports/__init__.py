"""Documents out: the printable learning agreement and its Erasmus Without Paper export."""
