"""policyc: a policy-as-code language for municipal policy documents.

Stages: `policyc.grammar` (the Lark grammar) → `policyc.compiler` (parser, checker, code and docs
generators) → `policyc.runtime` (value types and the helpers generated code may call). This
package holds the command line and the case files.
"""

__version__ = "0.1.0"
