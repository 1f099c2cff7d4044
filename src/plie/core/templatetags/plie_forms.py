"""Small template filters for form widgets rendered by hand."""

from django import template

register = template.Library()


@register.filter
def add_class_select(field):
    css = "form-select" if field.field.widget.input_type == "select" else "form-control"
    return field.as_widget(attrs={"class": css})
