"""What templates/forms/field.html needs that a BoundField does not give by itself: the
widget drawn with its Bootstrap 5 class (``is-invalid`` too when the field has an error) and
``autocomplete="off"``, and the id an error summary links to.

``autocomplete="off"`` is on every control unless its widget names a value of its own (a
sign-in form's ``current-password``): the browser neither offers a woman's answers as
suggestions later nor restores them into a page she left with "Exit this page"
(docs/design.md, safety rule 2; Chromium restores no control that has it). A hidden input
gets none (HTML allows it only on a control she fills in)."""

from django import forms, template
from django.forms.boundfield import BoundWidget

register = template.Library()

CHECK_CLASS = "form-check-input"
SELECT_CLASS = "form-select"
CONTROL_CLASS = "form-control"
INVALID_CLASS = "is-invalid"


def bootstrap_class(widget: forms.Widget) -> str:
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect)):  # and tick boxes
        return CHECK_CLASS
    if isinstance(widget, forms.Select):
        return SELECT_CLASS
    return CONTROL_CLASS


def control_attrs(bound_field) -> dict:
    """Attributes added to what the widget and BoundField give (required, aria-invalid,
    aria-describedby): the widget's own class kept, Bootstrap's added."""
    widget = bound_field.field.widget
    classes = [widget.attrs.get("class", ""), bootstrap_class(widget)]
    if bound_field.errors:
        classes.append(INVALID_CLASS)
    attrs = {"class": " ".join(c for c in classes if c)}
    if "autocomplete" not in widget.attrs:
        attrs["autocomplete"] = "off"
    return attrs


@register.filter
def control(bound_field):
    """``{{ field|control }}``: the field's input, select or textarea."""
    if bound_field.is_hidden:
        return bound_field.as_widget()
    return bound_field.as_widget(attrs=control_attrs(bound_field))


@register.filter
def options(bound_field) -> list[BoundWidget]:
    """``{% for option in field|options %}``: each radio button or tick box of a group, as
    BoundField.subwidgets gives them (an id each, required, aria-invalid), with the
    attributes of ``control``; ``{{ option.tag }}`` draws its input."""
    widget = bound_field.field.widget
    id_ = widget.attrs.get("id") or bound_field.auto_id
    attrs = bound_field.build_widget_attrs(
        {**({"id": id_} if id_ else {}), **control_attrs(bound_field)}
    )
    renderer = bound_field.form.renderer
    return [
        BoundWidget(widget, option, renderer)
        for option in widget.subwidgets(bound_field.html_name, bound_field.value(), attrs=attrs)
    ]


@register.filter
def is_choice_group(bound_field) -> bool:
    """Radio buttons or tick boxes: a fieldset of options, each with its own label."""
    return isinstance(bound_field.field.widget, forms.RadioSelect)  # tick boxes subclass it


@register.filter
def error_anchor(bound_field) -> str:
    """The id an error summary links to: the field's input, or a group's first option (a
    radio group or tick boxes has no single input, and no label of its own)."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect):  # and CheckboxSelectMultiple, its subclass
        return widget.id_for_label(bound_field.auto_id, "0")
    return bound_field.id_for_label
