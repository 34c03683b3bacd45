"""Who may do what with the contract's pages (django-rules; see contrat_ville.permissions).

Reading the contract, its priorities and its bodies is for everyone, residents included:
no permission. Editing them is for organisers.
"""

import rules

from contrat_ville.permissions import is_organiser

rules.add_perm("contract.edit_contract", is_organiser)
