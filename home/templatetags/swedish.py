"""Dates and amounts for people to read ({% load swedish %}): see lib/formatting.py."""

from django import template

from lib import formatting

register = template.Library()

register.filter("short_date", formatting.short_date)
register.filter("short_datetime", formatting.short_datetime)
register.filter("long_date", formatting.long_date)
register.filter("grouped", formatting.grouped)
register.filter("kronor", formatting.kronor)
register.filter("unit_abbr", formatting.unit_abbr)
