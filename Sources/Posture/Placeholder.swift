// Posture
