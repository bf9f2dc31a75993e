from django import template

from registry.services import organization_display_name

register = template.Library()


@register.filter
def organization_name(network):
    """{{ network|organization_name }}: the name with "(องค์กรสวัสดิการชุมชน)" while certified.

    Annotate the queryset with registry.services.with_registration_status() to avoid a query per network.
    """
    if network is None:
        return ""
    return organization_display_name(network)
