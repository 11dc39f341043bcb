/** Implementation details of the Socket.IO layer (parser, mailbox); not API, may change. */
package dev.herald.socketio.internal;
