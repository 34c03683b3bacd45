"""Who may do what at the rencontre (django-rules; see contrat_ville.permissions).

Public: the editions' pages, the .ics and the registration form. A manage
link is its own key: whoever holds the secret token may manage that one
registration, nothing else.
"""

import rules

from contrat_ville.permissions import is_organiser, is_partner

rules.add_perm("events.manage_edition", is_organiser)
rules.add_perm("events.check_in", is_organiser)
rules.add_perm("events.export_registrations", is_organiser)
# Who came: only those who agreed, and only to logged-in partners.
rules.add_perm("events.view_participants", is_partner)
# Year-on-year counts hold no personal data; partners use them for reporting.
rules.add_perm("events.view_statistics", is_partner)
rules.add_perm("events.view_own_history", rules.is_authenticated)
