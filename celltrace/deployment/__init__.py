"""Running a real clinic: the first run (`celltrace setup`) and what every installation loads."""
