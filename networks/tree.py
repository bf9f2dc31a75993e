"""Bulk loading of the network tree of all Thailand from the official area list in `geothai`.

Saving 8,440 pages one by one through treebeard costs minutes; here each level of the tree is written
with a handful of bulk statements: the `wagtailcore_page` rows with `bulk_create`, the `NetworkPage`
rows with one `executemany`, and the parents' child counts with one `bulk_update`.
"""

import time
from dataclasses import dataclass, field

import geothai
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend

from core.geography import BANGKOK, load_region_table
from core.wagtail_compat import child_page_path, page_path_step

from .models import HomePage, NetworkLevel, NetworkPage
from .signals import pages_loaded_in_bulk


@dataclass
class Node:
    """A network to exist in the tree: its identity (level + code or slug) and its names."""

    level: str
    key: str  # area code, or slug for the national and regional networks
    title: str
    name_en: str
    slug_hint: str
    area_code: str = ""
    province_code: str = ""
    children: list = field(default_factory=list)


def network_titles(level, name_th, name_en, province_code):
    if level == NetworkLevel.PROVINCE:
        th = f"เครือข่ายสวัสดิการชุมชน{'' if province_code == BANGKOK else 'จังหวัด'}{name_th}"
        return th, f"{name_en} Provincial Community Welfare Network"
    if level == NetworkLevel.DISTRICT:
        prefix = "เขต" if province_code == BANGKOK else "อำเภอ"
        return f"เครือข่ายสวัสดิการชุมชน{prefix}{name_th}", f"{name_en} District Community Welfare Network"
    prefix = "แขวง" if province_code == BANGKOK else "ตำบล"
    return f"กองทุนสวัสดิการชุมชน{prefix}{name_th}", f"{name_en} Tambon Community Welfare Fund"


def build_country(province_codes=None):
    """The desired tree as Nodes: national → regions → provinces → districts → tambons."""
    data, province_region = load_region_table()
    national = Node(NetworkLevel.NATIONAL, data["national"]["slug"], data["national"]["name_th"],
                    data["national"]["name_en"], data["national"]["slug"])
    regions = {}
    for region in data["regions"]:
        regions[region["slug"]] = Node(
            NetworkLevel.REGION, region["slug"], f"เครือข่ายสวัสดิการชุมชน{region['name_th']}",
            f"{region['name_en']} Community Welfare Network", region["slug"],
        )
    wanted = set(province_codes) if province_codes else None
    for province in geothai.provinces():
        if wanted is not None and province.code not in wanted:
            continue
        title, name_en = network_titles(NetworkLevel.PROVINCE, province.name_th, province.name_en, province.code)
        p_node = Node(NetworkLevel.PROVINCE, province.code, title, name_en, province.name_en,
                      area_code=province.code, province_code=province.code)
        regions[province_region[province.code]].children.append(p_node)
        for district in geothai.districts(province.code):
            title, name_en = network_titles(NetworkLevel.DISTRICT, district.name_th, district.name_en, province.code)
            d_node = Node(NetworkLevel.DISTRICT, district.code, title, name_en, district.name_en,
                          area_code=district.code, province_code=province.code)
            p_node.children.append(d_node)
            for tambon in geothai.subdistricts(district.code):
                title, name_en = network_titles(NetworkLevel.TAMBON, tambon.name_th, tambon.name_en, province.code)
                d_node.children.append(Node(NetworkLevel.TAMBON, tambon.code, title, name_en, tambon.name_en,
                                            area_code=tambon.code, province_code=province.code))
    national.children = [r for r in regions.values() if r.children or wanted is None]
    return national


@dataclass
class LoadResult:
    created: dict = field(default_factory=dict)
    index_seconds: float = 0.0  # time spent in the search backend, for the benchmark

    @property
    def total_created(self):
        return sum(self.created.values())


class TreeLoader:
    def __init__(self, stdout=None, search_index=True):
        """`search_index=False` leaves the new networks out of the search index (for tests that only
        count the tree; `manage.py update_index` adds them later)."""
        self.stdout = stdout
        self.search_index = search_index
        self.now = timezone.now()
        self.content_type = ContentType.objects.get_for_model(NetworkPage)
        self.locale = Locale.get_default()
        self.result = LoadResult()

    def load(self, province_codes=None):
        root = build_country(province_codes)
        with transaction.atomic():
            home = HomePage.objects.first()
            if home is None:
                raise RuntimeError("No home page: run `manage.py migrate` first.")
            home_page = Page.objects.get(pk=home.pk)
            # Each round places one level of the tree under parents already in the database.
            level = [(home_page, [root])]
            while level:
                level = self._place_level(level)
        if self.result.total_created:
            # Receivers refresh what is derived from the pages: the public page cache, and the search
            # index's planner statistics (this PostgreSQL runs without autovacuum).
            pages_loaded_in_bulk.send(sender=type(self))
        return self.result

    def _existing_children(self, parents):
        """{parent id: {identity key: Page}} for the NetworkPage children of the given parents."""
        by_parent = {p.pk: {} for p in parents}
        paths = {p.path: p.pk for p in parents}
        depth = parents[0].depth + 1
        rows = NetworkPage.objects.filter(depth=depth, path__regex=r"^(" + "|".join(paths) + ")") \
            if len(paths) < 500 else NetworkPage.objects.filter(depth=depth)
        for child in rows.only("id", "path", "depth", "url_path", "numchild", "slug", "level", "area_code"):
            parent_id = paths.get(child.path[: -Page.steplen])
            if parent_id is not None:
                key = child.area_code or child.slug
                by_parent[parent_id][key] = child
        return by_parent

    def _place_level(self, level):
        parents = [parent for parent, _nodes in level]
        existing = self._existing_children(parents)
        new_pages, new_nodes, next_level, touched_parents = [], [], [], []
        for parent, nodes in level:
            siblings = existing[parent.pk]
            taken_slugs = {child.slug for child in siblings.values()}
            last_step = max((page_path_step(c.path) for c in siblings.values()), default=0)
            added = 0
            for node in nodes:
                page = siblings.get(node.key)
                if page is None:
                    last_step += 1
                    added += 1
                    slug = self._unique_slug(node, taken_slugs)
                    page = Page(
                        title=node.title, draft_title=node.title, slug=slug,
                        content_type=self.content_type, locale=self.locale,
                        path=child_page_path(parent.path, parent.depth + 1, last_step),
                        depth=parent.depth + 1, numchild=0,
                        url_path=f"{parent.url_path}{slug}/",
                        live=True, has_unpublished_changes=False,
                        first_published_at=self.now, last_published_at=self.now,
                    )
                    new_pages.append(page)
                    new_nodes.append(node)
                if node.children:
                    next_level.append((page, node.children))
            if added:
                parent.numchild += added
                touched_parents.append(parent)
        if new_pages:
            Page.objects.bulk_create(new_pages, batch_size=1000)
            self._insert_network_rows(new_pages, new_nodes)
            Page.objects.bulk_update(touched_parents, ["numchild"], batch_size=1000)
            level_name = new_nodes[0].level
            self.result.created[level_name] = self.result.created.get(level_name, 0) + len(new_pages)
            if self.search_index:
                started = time.perf_counter()
                self._index(new_pages)
                self.result.index_seconds += time.perf_counter() - started
        return next_level

    @staticmethod
    def _unique_slug(node, taken):
        slug = slugify(node.slug_hint) or node.key
        if slug in taken:
            slug = f"{slug}-{node.key}"
        taken.add(slug)
        return slug

    def _insert_network_rows(self, pages, nodes):
        """Insert the NetworkPage table rows for pages whose wagtailcore_page rows exist already.
        (Django's bulk_create refuses multi-table models, so this is one executemany.)"""
        fields = [f for f in NetworkPage._meta.local_concrete_fields]
        rows = []
        for page, node in zip(pages, nodes, strict=True):
            proto = NetworkPage(
                page_ptr_id=page.pk, level=node.level, area_code=node.area_code,
                province_code=node.province_code, name_en=node.name_en,
            )
            rows.append([f.get_db_prep_save(getattr(proto, f.attname), connection) for f in fields])
        table = connection.ops.quote_name(NetworkPage._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)

    def _index(self, pages):
        specific = list(NetworkPage.objects.filter(pk__in=[p.pk for p in pages]))
        get_search_backend().add_bulk(NetworkPage, specific)
