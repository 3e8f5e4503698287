"""Workforce planning pages: the staffing calculator, forecast against actual, what-if runs.

The maths lives in the pure packages (:mod:`pasokh.wfm`, :mod:`pasokh.simulation`); this
app reads the tenant's history through the chokepoints and keeps simulation runs as rows.
"""
