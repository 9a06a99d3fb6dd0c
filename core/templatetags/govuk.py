"""Template helpers for GOV.UK Design System markup."""

from django import forms, template
from django.template.base import token_kwargs
from django.template.loader import render_to_string
from django.utils.translation import gettext

from core.forms import DateInput

register = template.Library()

# The first match wins, so a subclass comes before its parent: CheckboxSelectMultiple is a
# RadioSelect to Django.
WIDGET_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.CheckboxSelectMultiple: "govuk-checkboxes__input",
    forms.RadioSelect: "govuk-radios__input",
    forms.FileInput: "govuk-file-upload",
}
ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


def widget_class(widget: forms.Widget) -> str:
    for widget_type, css_class in WIDGET_CLASSES.items():
        if isinstance(widget, widget_type):
            return css_class
    return "govuk-input"


@register.filter
def field_kind(bound_field) -> str:
    """Which GOV.UK pattern a field follows: input, checkbox, radios, checkboxes or date."""
    widget = bound_field.field.widget
    if isinstance(widget, DateInput):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):  # a RadioSelect subclass: test it first
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


@register.simple_tag
def govuk_widget(bound_field, described_by: str = ""):
    """Render a field's widget with GOV.UK classes and the ids of its hint and error."""
    if isinstance(bound_field.field.widget, DateInput):
        # The fieldset around the three boxes carries the hint and error; each box has its class.
        return bound_field.as_widget(
            attrs={"class": "govuk-input--error"} if bound_field.errors else {}
        )
    css_class = widget_class(bound_field.field.widget)
    classes = [css_class, bound_field.field.widget.attrs.get("class", "")]
    if bound_field.errors and css_class in ERROR_CLASSES:
        classes.append(ERROR_CLASSES[css_class])
    # GOV.UK forms use labels and hints, never placeholders: they vanish as people type.
    attrs = {"class": " ".join(c for c in classes if c), "placeholder": False}
    if described_by.strip():
        attrs["aria-describedby"] = described_by.strip()
    return bound_field.as_widget(attrs=attrs)


@register.inclusion_tag("forms/error_summary.html")
def error_summary(*forms_to_summarise):
    """The error summary for one or more forms: every error, linked to its field."""
    errors = []
    for form in forms_to_summarise:
        if form is None or not getattr(form, "errors", None):
            continue
        # Said once: errors about the whole form are in the summary only, not again above the
        # fields (forms/govuk_form.html); a field's own error is linked here and shown beside it.
        form.errors_in_summary = True
        for error in form.non_field_errors():
            errors.append({"message": error, "anchor": ""})
        for bound_field in form:
            # Radios and checkboxes have no single input: link to the first option.
            anchor = bound_field.id_for_label or (
                f"{bound_field.auto_id}_0" if bound_field.auto_id else ""
            )
            for error in bound_field.errors:
                errors.append({"message": error, "anchor": anchor})
    return {"errors": errors}


@register.simple_tag
def govuk_choices(bound_field, described_by: str = ""):
    """The radio buttons or checkboxes of a multiple-choice field, with GOV.UK classes."""
    widget = bound_field.field.widget
    kind = field_kind(bound_field)
    attrs = {"class": "govuk-radios__input" if kind == "radios" else "govuk-checkboxes__input"}
    if described_by.strip():
        attrs["aria-describedby"] = described_by.strip()
    if bound_field.auto_id:
        attrs["id"] = bound_field.auto_id
    value = widget.format_value(bound_field.value())
    return [
        forms.boundfield.BoundWidget(widget, data, bound_field.form.renderer)
        for data in widget.subwidgets(
            bound_field.html_name, value, attrs=bound_field.build_widget_attrs(attrs)
        )
    ]


@register.filter
def govuk_described_by(bound_field) -> str:
    """The ids of the hint and the error message that describe a field, if it has them."""
    ids = []
    if bound_field.help_text:
        ids.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        ids.append(f"{bound_field.auto_id}-error")
    return " ".join(ids)


@register.filter
def nav_active(item, path: str) -> bool:
    return item.is_active(path)


class TableScrollNode(template.Node):
    def __init__(self, nodelist, kwargs):
        self.nodelist = nodelist
        self.kwargs = kwargs

    def render(self, context):
        values = {name: value.resolve(context) for name, value in self.kwargs.items()}
        return render_to_string(
            "partials/table_scroll.html",
            {
                "label": values.get("label", ""),
                "labelledby": values.get("labelledby", ""),
                "table": self.nodelist.render(context),
            },
        )


@register.tag
def table_scroll(parser, token):
    """``{% table_scroll label="…" %}<table>…</table>{% endtable_scroll %}``: a wide table in
    the one box that scrolls sideways on its own, so the page never does on a small screen.

    The box is a labelled, focusable region, so keyboard users can scroll it too. Give it
    ``label`` (the table's name) or ``labelledby`` (the id of a heading or caption naming it).
    """
    bits = token.split_contents()[1:]
    kwargs = token_kwargs(bits, parser)
    if bits or not kwargs.keys() & {"label", "labelledby"}:
        raise template.TemplateSyntaxError(
            "table_scroll takes label=… or labelledby=… and nothing else"
        )
    nodelist = parser.parse(("endtable_scroll",))
    parser.delete_first_token()
    return TableScrollNode(nodelist, kwargs)


@register.tag
def page_title(parser, token):
    """``{% page_title %}...{% endpage_title %}``: the page's title, starting "Error: " when the
    page shows a form sent back with errors, so a screen reader hears it before anything else.

    A page has errors when any bound form (or formset) in its context has errors, or when the
    view sets ``page_has_errors``. A title that already starts "Error:" is left as it is.
    """
    nodelist = parser.parse(("endpage_title",))
    parser.delete_first_token()
    return PageTitleNode(nodelist)


class PageTitleNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context) -> str:
        title = self.nodelist.render(context).strip()
        prefix = gettext("Error:")
        if title.startswith(prefix) or not page_has_errors(context):
            return title
        return f"{prefix} {title}"


def page_has_errors(context) -> bool:
    values = context.flatten()
    if values.get("page_has_errors"):
        return True
    # type(), not isinstance(): isinstance would ask a lazy value (the CSRF token) for its
    # class and so evaluate it, setting a cookie on pages that have no form.
    return any(
        issubclass(type(value), forms.BaseForm | forms.BaseFormSet)
        and value.is_bound
        and (value.errors if isinstance(value, forms.BaseForm) else value.total_error_count())
        for value in values.values()
    )
