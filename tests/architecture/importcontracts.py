"""The project's own import-linter contract: contexts meet only at each other's facade.

import-linter's built-in contracts say which packages may import which; they cannot say "only
through this one module". ``FacadeContract`` does: a module of one context may import, from
another context, only that context's ``facade`` module. A context's own tests and migrations
are exempt, and so are the packages that compose the contexts (web, demo), which are not listed.
"""

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


class FacadeContract(Contract):
    contexts = fields.ListField(subfield=fields.StringField())
    facade = fields.StringField(default="facade")
    exempt = fields.ListField(subfield=fields.StringField(), default=["tests", "migrations"])

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        bypasses = [
            bypass
            for context in self.contexts
            for module in sorted({context, *graph.find_descendants(context)})
            if not self._exempt(context, module)
            for bypass in self._bypasses_of(graph, context, module)
        ]
        return ContractCheck(kept=not bypasses, metadata={"bypasses": bypasses})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, imported, lines in check.metadata["bypasses"]:
            where = ", ".join(str(line) for line in lines)
            output.print_error(f"{importer} -> {imported} (l. {where})", bold=False)
        output.new_line()
        output.print("Import the other context's facade, and export what is missing there.")

    def _bypasses_of(self, graph: ImportGraph, context: str, module: str):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            owner = self.owner(imported)
            if owner in (None, context) or imported == f"{owner}.{self.facade}":
                continue
            details = graph.get_import_details(importer=module, imported=imported)
            yield module, imported, sorted({detail["line_number"] for detail in details})

    def owner(self, module: str) -> str | None:
        for context in self.contexts:
            if module == context or module.startswith(f"{context}."):
                return context
        return None

    def _exempt(self, context: str, module: str) -> bool:
        inner = module.removeprefix(f"{context}.").split(".")[0]
        return module != context and inner in self.exempt
