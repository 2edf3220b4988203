// Custody
