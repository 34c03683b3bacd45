"""Who may do what with neighbourhoods (django-rules; see contrat_ville.permissions).

The "Mon quartier" pages, the finder and the maps are public: residents read them without an
account. Changing the contract's perimeter or a contour is for organisers.
"""

import rules

from contrat_ville.permissions import is_organiser

rules.add_perm("neighbourhoods.manage_perimeter", is_organiser)
