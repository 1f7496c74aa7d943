// The two-line stub of the README: calls made before cec-chat.js has loaded are queued and replayed.
window.CecChat = window.CecChat || function () { (window.CecChat.q = window.CecChat.q || []).push(arguments); };
