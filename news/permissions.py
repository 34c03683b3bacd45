"""Who may do what with news and documents (django-rules; see contrat_ville.permissions).

Reading what is published for everyone needs no permission. Partners (anyone holding a
college or a portal role) also read what is published for partners only. Organisers and
editors write, publish and unpublish.
"""

import rules

from contrat_ville.permissions import is_editor, is_organiser, is_partner

rules.add_perm("news.edit", is_organiser | is_editor)
rules.add_perm("news.view_partners_only", is_partner)
