"""The policyc compiler: source text → AST → checked policy → generated Python and docs."""
