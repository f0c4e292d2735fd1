"""``{{ form|plain_form }}`` and ``{{ form.field|plain_field }}``: a form or one field drawn
by Haven's own field template (templates/referrals/fields/fields.html, the public form's),
instead of crispy-forms' ``|crispy`` and ``|as_crispy_field``. The same Bootstrap 5 markup
and accessibility wiring at a fraction of the server time."""

from django import forms, template
from django.template.loader import get_template

from referrals.forms.public_layout import public_field, public_fields

register = template.Library()

FIELDS_TEMPLATE = "referrals/fields/fields.html"


@register.filter
def plain_form(form):
    return get_template(FIELDS_TEMPLATE).render({"fields": public_fields(form)})


@register.filter
def plain_field(bound_field):
    return get_template(FIELDS_TEMPLATE).render({"fields": [public_field(bound_field)]})


@register.filter
def error_anchor(bound_field) -> str:
    """The id an error summary links to: the field's input, or a group's first option (a
    radio group or tick boxes has no single input, and no label of its own)."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect):  # and CheckboxSelectMultiple, its subclass
        return widget.id_for_label(bound_field.auto_id, "0")
    return bound_field.id_for_label
