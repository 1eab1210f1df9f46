from django import template

register = template.Library()


@register.filter
def relative_to(day, today):
    """'due today', 'in 3 days', 'overdue by 2 days'; `today` is the portal's."""
    if not day or not today:
        return ""
    days = (day - today).days
    if days == 0:
        return "due today"
    if days > 0:
        return f"in {days} day{'s' if days != 1 else ''}"
    return f"overdue by {-days} day{'s' if days != -1 else ''}"


@register.filter
def expiry_relative_to(day, today):
    if not day or not today:
        return ""
    days = (day - today).days
    if days == 0:
        return "expires today"
    if days > 0:
        return f"expires in {days} day{'s' if days != 1 else ''}"
    return f"expired {-days} day{'s' if days != -1 else ''} ago"
