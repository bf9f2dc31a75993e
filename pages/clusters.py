"""Child rows of a document page (attendees, agenda items, attachments, activities) read from a
revision and written on publish in a number of queries that does not grow with the rows.

django-modelcluster, which Wagtail uses for a page's child relations, does both row by row:

- building a page from a revision's JSON (``Revision.as_object``) checks each foreign key of each
  child row with its own query (``model_from_serializable_data(check_fks=True)``), the ParentalKey
  back to the page included;
- saving the page commits each child relation with one UPDATE (or INSERT, or DELETE) per row
  (``DeferringRelatedManager.commit``), changed or not.

Here the same checks are made with one query per referenced model (``checked_serializable_data``),
and a relation is committed with one read, then a bulk delete, a bulk insert and a bulk update of the
rows that differ from the database (``ChildRowsInBulk``). Rows that did not change are not written.
A child model is committed in bulk only when nothing can tell the difference: its save() and delete()
are Django's own, it has no children of its own, no field of it stamps a time or stores a file on
save, and no pre/post save receiver listens to it. Any other relation (Wagtail's comments, for one)
is left to modelcluster.
"""

import contextlib
import contextvars
import functools

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_save, pre_save
from modelcluster.models import ClusterableModel, get_all_child_relations
from wagtail.models import TranslatableMixin

from core.wagtail_compat import (
    enqueue_reference_index_update,
    live_receivers,
    locale_pre_save_receiver,
    pending_child_relations,
    reference_index_save_receiver,
)


class _Dropped(Exception):
    """A child row whose CASCADE reference is gone: modelcluster drops such rows (strict_fks)."""


@functools.cache
def _reference_fields(model):
    """(name, field, field referenced) of each many-to-one reference of `model` (a OneToOne too)."""
    references = []
    for field in model._meta.get_fields():
        if isinstance(field, models.ForeignObjectRel) or not isinstance(
            getattr(field, "remote_field", None), models.ManyToOneRel
        ):
            continue
        target = field.remote_field.model._meta.get_field(field.remote_field.field_name)
        references.append((field.name, field, target))
    return references


def _foreign_keys(model, data):
    """(field, clean value) for each non-null many-to-one reference of one object's data."""
    for name, field, target in _reference_fields(model):
        value = data.get(name)
        if value is not None:
            yield field, target.to_python(value)


def _child_data(model, data):
    """(child model, list of child data) for each child relation present in `data`."""
    for rel in get_all_child_relations(model):
        children = data.get(rel.get_accessor_name())
        if children is not None:
            yield rel.get_accessor_name(), rel.related_model, children


def _collect(model, data, wanted):
    for field, value in _foreign_keys(model, data):
        key = (field.remote_field.model, field.remote_field.field_name)
        wanted.setdefault(key, set()).add(value)
    for _name, child_model, children in _child_data(model, data):
        for child in children:
            _collect(child_model, child, wanted)


def _existing(wanted):
    """{(model, field name): set of values that exist}, one query per referenced model and field."""
    found = {}
    for (model, field_name), values in wanted.items():
        if model is ContentType and field_name == "id":
            # Content types are cached by Django: no query once seen.
            present = set()
            for value in values:
                try:
                    ContentType.objects.get_for_id(value)
                    present.add(value)
                except ContentType.DoesNotExist:
                    pass
            found[(model, field_name)] = present
            continue
        found[(model, field_name)] = set(
            model._default_manager.filter(**{f"{field_name}__in": values}).values_list(field_name, flat=True)
        )
    return found


def _apply(model, data, found, strict_fks):
    """A copy of `data` with dangling references treated as modelcluster treats them."""
    data = dict(data)
    for field, value in _foreign_keys(model, data):
        if value in found[(field.remote_field.model, field.remote_field.field_name)]:
            continue
        on_delete = field.remote_field.on_delete
        if on_delete == models.DO_NOTHING:
            continue
        if on_delete == models.CASCADE:
            if strict_fks:
                raise _Dropped
            data[field.name] = None
        elif on_delete == models.SET_NULL:
            data[field.name] = None
        else:
            raise Exception(
                "can't currently handle on_delete types other than CASCADE, SET_NULL and DO_NOTHING"
            )
    for name, child_model, children in _child_data(model, data):
        kept = []
        for child in children:
            try:
                kept.append(_apply(child_model, child, found, strict_fks=True))
            except _Dropped:
                pass
        data[name] = kept
    return data


def checked_serializable_data(model, data, strict_fks=False):
    """`data` (a revision's content) with every reference checked as
    ``ClusterableModel.from_serializable_data(check_fks=True)`` checks it, in one query per referenced
    model rather than one per reference; None when the object itself would be dropped. Build the
    object from the result with check_fks=False."""
    wanted = {}
    _collect(model, data, wanted)
    try:
        return _apply(model, data, _existing(wanted), strict_fks)
    except _Dropped:
        return None


# --- Committing child relations -----------------------------------------------------------------


def _receivers(signal, model):
    """The receivers of `signal` for `model` that a bulk write would miss. Two of Wagtail's do not
    count: the one for every model's pre_save that acts on translatable models only, and the
    reference index's post_save, which for a child row re-indexes its parent page; ChildRowsInBulk
    asks for that itself, once, when a row was written."""
    ignored = {reference_index_save_receiver()}
    if not issubclass(model, TranslatableMixin):
        ignored.add(locale_pre_save_receiver())
    return [r for r in live_receivers(signal, model) if r not in ignored]


def _reindexes_parent(model):
    return reference_index_save_receiver() in live_receivers(post_save, model)


def _writes_on_save(field):
    # Fields whose pre_save changes the value (timestamps) or stores a file: save() must run.
    return (
        getattr(field, "auto_now", False)
        or getattr(field, "auto_now_add", False)
        or isinstance(field, models.FileField)
    )


def _commits_in_bulk(model):
    return (
        not issubclass(model, ClusterableModel)
        and not any(_writes_on_save(f) for f in model._meta.concrete_fields)
        and model.save is models.Model.save
        and model.delete is models.Model.delete
        and not _receivers(pre_save, model)
        and not _receivers(post_save, model)
    )


def commit_relation(instance, rel, items):
    """Make the database rows of relation `rel` of `instance` exactly `items`, as modelcluster's
    commit does: rows no longer listed are deleted, new ones inserted, changed ones updated. Returns
    whether anything was written."""
    model = rel.related_model
    parental_key = rel.field
    manager = model._default_manager
    attnames = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    # The rows as values, not instances: a long document's rows cost one read and no model building.
    live = {
        row[0]: dict(zip(attnames, row[1:], strict=True))
        for row in manager.filter(**{parental_key.name: instance}).values_list("pk", *attnames)
    }
    kept = {item.pk for item in items if item.pk is not None}
    gone = [pk for pk in live if pk not in kept]
    if gone:
        manager.filter(pk__in=gone).delete()

    new, changed, changed_fields = [], [], set()
    for item in items:
        setattr(item, parental_key.name, instance)
        if item.pk is None:
            new.append(item)
            continue
        row = live.get(item.pk)
        if row is None:
            # A row of another page, or deleted meanwhile: modelcluster's save() decides (rare).
            item.save()
            continue
        deferred = item.get_deferred_fields()
        differs = [name for name in attnames if name not in deferred and getattr(item, name) != row[name]]
        if differs:
            changed.append(item)
            changed_fields.update(differs)
    if new:
        manager.bulk_create(new)
    if changed:
        manager.bulk_update(changed, sorted(changed_fields))
    return bool(gone or new or changed)


class ChildRowsInBulk(ClusterableModel):
    """Commits the child relations of a full save in bulk (see the module's docstring). Placed after
    Page in the bases, so that it runs inside Page.save (after its validation) and around
    ClusterableModel.save."""

    class Meta:
        abstract = True

    def save(self, **kwargs):
        pending = pending_child_relations(self)
        if kwargs.get("update_fields") is not None or not pending:
            return super().save(**kwargs)
        taken = []
        for rel in get_all_child_relations(self):
            name = rel.get_accessor_name()
            if name in pending and _commits_in_bulk(rel.related_model):
                taken.append((rel, pending.pop(name)))
        # ClusterableModel.save commits what is left in `pending` (relations it finds no entry for
        # are unchanged for it); ours follow, in the same transaction (Page.save is atomic).
        result = super().save(**kwargs)
        written = [rel for rel, items in taken if commit_relation(self, rel, items)]
        if any(_reindexes_parent(rel.related_model) for rel in written):
            # What the rows' own post_save would have asked for (the page's references), once.
            enqueue_reference_index_update(self)
        return result


# --- One page object per revision within a decision -----------------------------------------------

_built_in_this_decision = contextvars.ContextVar("built_in_this_decision", default=None)


@contextlib.contextmanager
def one_object_per_revision():
    """Within the block, building a page from a revision's content whose twin was built already
    returns the object built first. A decision builds the same revision up to three times inside
    Wagtail (the registry's text, the workflow log, the publishing), each time every child row."""
    token = _built_in_this_decision.set({})
    try:
        yield
    finally:
        _built_in_this_decision.reset(token)


def built_before(page, content):
    """The object built from this very `content` for `page` earlier in the decision, or None."""
    built = _built_in_this_decision.get()
    if built is None or page.pk not in built:
        return None
    earlier_content, obj = built[page.pk]
    return obj if earlier_content == content else None


def remember_built(page, content, obj):
    built = _built_in_this_decision.get()
    if built is not None:
        built[page.pk] = (content, obj)
