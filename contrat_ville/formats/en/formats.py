TIME_FORMAT = "g:i a"
DATETIME_FORMAT = "j F Y, g:i a"
