"""How Haven draws every form, public and staff: Django's own form rendering through the
project's templates (TemplatesSetting), with Haven's form and field templates in place of
Django's defaults.

``{{ form }}`` draws templates/forms/form.html, ``{{ form.field.as_field_group }}`` (and each
field of a form) templates/forms/field.html: Bootstrap 5 markup with the accessibility
wiring the public form needs (a label for every input, a fieldset and legend for a group of
radios or tick boxes, hint and error ids named in aria-describedby, aria-invalid on a field
with an error). Widgets are Django's own templates (``django.forms`` in INSTALLED_APPS)."""

from django.forms.renderers import TemplatesSetting


class HavenFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
