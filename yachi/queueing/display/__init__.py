"""The waiting-room display (叫号屏): a television opened with a display token a manager
creates in the console, live over WebSocket, announcing each call (ADR 0046)."""
