package dev.herald.servlet;

import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link ServerEndpointConfig} of one upgrade, built programmatically: its configurator hands
 * the container the endpoint made for that request, accepts every origin (the servlet has checked
 * the Origin already, with the same policy as polling) and agrees to permessage-deflate only when
 * the engine allows it.
 */
final class EndpointConfigs {

    private EndpointConfigs() {}

    static ServerEndpointConfig forEndpoint(String path, EngineEndpoint endpoint, boolean perMessageDeflate) {
        return ServerEndpointConfig.Builder.create(EngineEndpoint.class, path)
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass) {
                        return endpointClass.cast(endpoint);
                    }

                    @Override
                    public boolean checkOrigin(String originHeaderValue) {
                        return true;
                    }

                    @Override
                    public List<Extension> getNegotiatedExtensions(
                            List<Extension> installed, List<Extension> requested) {
                        if (!perMessageDeflate) {
                            return List.of();
                        }
                        // Done here rather than by the default configurator, which the ServiceLoader may
                        // pick from another container's jar when two are on the class path.
                        List<Extension> agreed = new ArrayList<>();
                        for (Extension asked : requested) {
                            boolean known =
                                    installed.stream().anyMatch(e -> e.getName().equals(asked.getName()));
                            boolean taken =
                                    agreed.stream().anyMatch(e -> e.getName().equals(asked.getName()));
                            if (known && !taken) {
                                agreed.add(asked);
                            }
                        }
                        return agreed;
                    }

                    @Override
                    public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
                        return "";
                    }

                    @Override
                    public void modifyHandshake(
                            ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
                        // Nothing to add: the engine's headers hooks ran before the upgrade.
                    }
                })
                .build();
    }
}
