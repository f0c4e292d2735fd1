"""``{{ form|plain_form }}`` and ``{{ form.field|plain_field }}``: a form or one field drawn
by Haven's own field template (templates/referrals/fields/fields.html, the public form's),
instead of crispy-forms' ``|crispy`` and ``|as_crispy_field``. The same Bootstrap 5 markup
and accessibility wiring at a fraction of the server time (issue 9)."""

from django import template
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
