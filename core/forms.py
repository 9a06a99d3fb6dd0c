"""Form rendering in the GOV.UK Design System's patterns, for every form in Cairn.

``{{ form }}`` renders each field as a GOV.UK form group (label, hint, inline error, input);
``{% error_summary form %}`` renders the error summary that goes at the top of the page.
"""

from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"
