"""Points whose neighbourhood is known, as (latitude, longitude): the addresses of the fake
address service (tests/neighbourhoods/fake_ban.py), chosen well inside the contours of the
national file, and Chambéry's town hall, outside both QPV."""

IN_BIOLLAY = (45.561203, 5.904297)
IN_HAUTS = (45.59497, 5.91631)
CITY_HALL = (45.566452, 5.920661)
BIOLLAY_ADDRESS = {"address": "12 rue du Biollay", "postcode": "73000", "town": "Chambéry"}
HAUTS_ADDRESS = {"address": "3 rue du Pré de l'Âne", "postcode": "73000", "town": "Chambéry"}
UNKNOWN_ADDRESS = {"address": "99 impasse Introuvable", "postcode": "73000", "town": "Chambéry"}
