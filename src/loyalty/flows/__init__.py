"""Workflows: each operation that changes more than one domain, written once as the sentence of its rule.

A workflow imports the domains it coordinates; no domain imports a workflow. Controllers call workflows
like any service.
"""
