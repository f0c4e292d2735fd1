"""What the public form's templates need to draw each field (templates/referrals/fields/).

The public steps are drawn by our own small templates rather than django-crispy-forms:
crispy's nested templates cost about two-thirds of the first page's server time.
Everything a field's markup depends on is worked out here, once per field, so the template
is a single loop with no includes and no per-option logic: the ids that tie a label, hint
and error to the input, the Bootstrap classes, and each choice of a radio or checkbox group.

The wiring follows the GOV.UK Design System and what crispy drew before:
- every input has a ``<label for>``; a radio or checkbox group is a ``<fieldset>`` with a
  ``<legend>``, and each option its own label;
- a hint has the id ``<field id>_helptext`` and an error ``<field id>_error``; inputs (or,
  for a group, the fieldset) name both in ``aria-describedby``;
- an input with an error has ``is-invalid`` and ``aria-invalid="true"``;
- the error summary links to the input, or to a group's first option (``anchor``);
- every control has ``autocomplete="off"``: the browser neither offers her answers as
  suggestions later nor restores them into a page she left with "Exit this page"
  (docs/design.md, safety rule 2; Chromium restores no control that has it).
"""

import html
from typing import TypedDict

from django import forms
from django.utils.safestring import SafeString, mark_safe

# The Bootstrap 5 class of each kind of control.
CHECK_CLASS = "form-check-input"
SELECT_CLASS = "form-select"
CONTROL_CLASS = "form-control"
INVALID_CLASS = "is-invalid"
# On every public control, whatever its widget asks for (see the module's docstring).
NOT_KEPT_BY_THE_BROWSER = {"autocomplete": "off"}


# Dicts, not objects: the template language tries a dict key before an attribute, so a
# dict's values are found without a failed lookup first (several per field).


class Choice(TypedDict):
    """One radio button or tick box of a group, or one option of a select."""

    id: str
    label: str
    attrs: SafeString  # everything on its <input> or <option>


class PublicField(TypedDict):
    name: str  # the form's name for it, e.g. "phone"
    html_name: str  # the posted name, e.g. "contact-phone"
    id: str
    label: str
    kind: str  # "control", "checkbox" (one tick box), "choices" (a fieldset) or "hidden"
    required: bool
    help_text: str
    help_id: str
    errors: list
    error_id: str
    anchor: str  # where the error summary links to
    hidden_from_people: bool  # aria-hidden container (the honeypot)
    describedby: str
    # The element: "input", "textarea" or "select" ("choices": none, see ``choices``), its
    # attributes as Django's widget would give them (name, id, class, required, aria-*,
    # an input's type and value), a textarea's text, a select's options.
    element: str
    attrs: SafeString | None
    text: str
    choices: list[Choice]


def html_attributes(attrs: dict) -> SafeString:
    """`` name="value"`` pairs, as Django's attrs.html draws them (True: the name alone;
    False: left out), values escaped as Django's ``escape`` does. Django's own flatatt
    does the same through format_html, at several times the cost."""
    parts = [
        f" {name}" if value is True else f' {name}="{html.escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    ]
    # Names come from our code and Django's widgets; every value is escaped above.
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308, B703


def flat_choices(choices) -> list[tuple]:
    """(value, label) pairs, any named groups flattened."""
    flat = []
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            flat.extend(label)
        else:
            flat.append((value, label))
    return flat


def chosen_values(bound: forms.BoundField) -> list[str]:
    """Her answer as the strings options are compared with (ChoiceWidget.format_value)."""
    value = bound.value()
    if value is None and bound.field.widget.allow_multiple_selected:
        return []
    values = value if isinstance(value, (list, tuple)) else [value]
    return ["" if v is None else str(v) for v in values]


def choices_of(bound: forms.BoundField, tag_attrs) -> list[Choice]:
    """Each choice's attributes, as ChoiceWidget.optgroups/create_option give them: the
    selected or checked mark (only the first match, unless several may be chosen) and, in a
    group, an id of its own; ``tag_attrs(value, selected, id)`` gives the rest."""
    widget = bound.field.widget
    chosen = chosen_values(bound)
    several = widget.allow_multiple_selected
    found = False
    choices = []
    for index, (value, label) in enumerate(flat_choices(bound.field.choices)):
        value = "" if value is None else str(value)
        selected = value in chosen and (several or not found)
        found = found or selected
        option_id = widget.id_for_label(bound.auto_id, str(index)) if bound.auto_id else ""
        choices.append(
            {"id": option_id, "label": label, "attrs": tag_attrs(value, selected, option_id)}
        )
    return choices


def radio_attrs(bound: forms.BoundField):
    widget = bound.field.widget
    # As BoundField.subwidgets: required (radios only), aria-invalid; the widget's own.
    base = widget.build_attrs(widget.attrs, bound.build_widget_attrs(dict(NOT_KEPT_BY_THE_BROWSER)))
    css = f"{CHECK_CLASS} {INVALID_CLASS}" if bound.errors else CHECK_CLASS

    def tag_attrs(value, selected, option_id):
        shown = {
            "type": widget.input_type,
            "class": css,
            "name": bound.html_name,
            "value": value,
            **base,
            "id": option_id,
        }
        if selected:
            shown["checked"] = True
        return html_attributes(shown)

    return tag_attrs


def option_attrs(value, selected, option_id):  # the <select> itself has autocomplete="off"
    return html_attributes({"value": value, "selected": selected})


def element(bound: forms.BoundField, css: str) -> dict:
    """The element Django's widget template would draw, without rendering that template
    (input.html, textarea.html, select.html and its options, attrs.html: each a template
    render, together most of a step's time)."""
    widget = bound.field.widget
    # As BoundField.as_widget: required, aria-invalid, aria-describedby, then the id.
    # A hidden input may not have autocomplete="off" (HTML): it is no answer of hers.
    attrs = bound.build_widget_attrs({"class": css, **NOT_KEPT_BY_THE_BROWSER} if css else {})
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    if isinstance(widget, forms.Select):
        merged = widget.build_attrs(widget.attrs, attrs)
        return {
            "element": "select",
            "attrs": html_attributes({"name": bound.html_name, **merged}),
            "choices": choices_of(bound, option_attrs),
        }
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    if isinstance(widget, forms.Textarea):
        return {
            "element": "textarea",
            "attrs": html_attributes({"name": bound.html_name, **context["attrs"]}),
            "text": "" if context["value"] is None else str(context["value"]),
        }
    shown = {"type": context["type"], "name": bound.html_name}
    if context["value"] is not None:
        shown["value"] = context["value"]
    return {"element": "input", "attrs": html_attributes({**shown, **context["attrs"]})}


def control_class(bound: forms.BoundField) -> str:
    widget = bound.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = CHECK_CLASS
    elif isinstance(widget, forms.Select):
        css = SELECT_CLASS
    else:
        css = CONTROL_CLASS
    return f"{css} {INVALID_CLASS}" if bound.errors else css


def public_field(bound: forms.BoundField) -> PublicField:
    widget = bound.field.widget
    id_ = bound.auto_id
    errors = list(bound.errors)
    help_id, error_id = f"{id_}_helptext", f"{id_}_error"
    common = {
        "name": bound.name,
        "html_name": bound.html_name,
        "id": id_,
        "label": bound.label,
        "required": bound.field.required,
        "help_text": bound.help_text,
        "help_id": help_id,
        "errors": errors,
        "error_id": error_id,
        # The same as BoundField.aria_describedby, which Django puts on the input itself;
        # for a group it goes on the fieldset.
        "describedby": " ".join(
            ident for ident, shown in ((help_id, bound.help_text), (error_id, errors)) if shown
        ),
        "anchor": id_,
        # The honeypot: kept out of sight and out of the accessibility tree.
        "hidden_from_people": getattr(bound.field, "hidden_from_people", False),
        "element": "",
        "attrs": None,
        "text": "",
        "choices": [],
    }
    if widget.is_hidden:
        return PublicField(**{**common, "kind": "hidden", **element(bound, "")})
    if widget.use_fieldset:  # RadioSelect, CheckboxSelectMultiple
        choices = choices_of(bound, radio_attrs(bound))
        anchor = choices[0]["id"] if choices else id_
        return PublicField(**{**common, "kind": "choices", "anchor": anchor, "choices": choices})
    kind = "checkbox" if isinstance(widget, forms.CheckboxInput) else "control"
    return PublicField(**{**common, "kind": kind, **element(bound, control_class(bound))})


def public_fields(form: forms.Form) -> list[PublicField]:
    return [public_field(bound) for bound in form]
