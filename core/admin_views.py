"""What the apps' own admin screens share: a real 403, a check of the user before anything else, the
breadcrumbs of a section (home › the section's index › … › this screen), and the listing of rows only
the system writes."""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.views.defaults import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet


def refused(request):
    # A real 403: Wagtail's admin would turn a raised PermissionDenied into a redirect home.
    return permission_denied(request, PermissionDenied())


class UserCheckedMixin:
    """Refuses (403) anyone for whom `allows(user)` is false, on every method, before anything else."""

    def allows(self, user):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not self.allows(request.user):
            return refused(request)
        return super().dispatch(request, *args, **kwargs)


class SectionView(WagtailAdminTemplateMixin):
    """A screen of an admin section. Its breadcrumbs: Wagtail's home, the section's index (unless the
    screen is that index: `section_url_name` None), `extra_breadcrumbs()`, then the screen itself."""

    section_url_name = None
    section_label = ""

    def get_breadcrumbs_items(self):
        section = [{"url": reverse(self.section_url_name), "label": str(self.section_label)}] if self.section_url_name else []
        return self.breadcrumbs_items + section + self.extra_breadcrumbs() + [{"url": "", "label": self.get_page_title()}]

    def extra_breadcrumbs(self):
        return []


class SystemWrittenViewSet(ModelViewSet):
    """A listing, in the Settings menu, of rows the system writes: no add, edit or delete screens, only
    the index (and the inspect view where it is enabled)."""

    add_to_settings_menu = True
    list_per_page = 50

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(add_url_name=None, edit_url_name=None, delete_url_name=None, **kwargs)

    def get_urlpatterns(self):
        urlpatterns = [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]
        if self.inspect_view_enabled:
            urlpatterns.append(path("inspect/<int:pk>/", self.inspect_view, name="inspect"))
        return urlpatterns
