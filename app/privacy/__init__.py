"""Personal data: the access log of who viewed whose data, own-data export, anonymisation
of leavers and retention."""
