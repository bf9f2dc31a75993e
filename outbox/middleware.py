"""One time bound for all the hand-overs to the broker that a request's commits make (outbox/relay.py)."""

from .relay import handover_budget


class HandOverBudgetMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with handover_budget():
            return self.get_response(request)
