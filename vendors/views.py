from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from compliance.readiness import vendors_with_agreements


@login_required
def vendor_list(request):
    return render(
        request, "vendors/vendor_list.html", {"vendors": vendors_with_agreements()}
    )


@login_required
def vendor_detail(request, slug):
    vendor = get_object_or_404(vendors_with_agreements(), slug=slug)
    return render(request, "vendors/vendor_detail.html", {"vendor": vendor})
