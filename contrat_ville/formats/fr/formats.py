# French times as the French write them on a programme: "9 h 12".
TIME_FORMAT = "G \\h i"
DATETIME_FORMAT = "j F Y à G \\h i"
