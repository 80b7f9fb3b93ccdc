#!/usr/bin/env bash
# DevStack plugin for magnum: install it, create and migrate its database,
# configure RabbitMQ and Keystone, register the container-infra endpoint and
# run magnum-api and magnum-conductor. Not exercised by this repository's CI;
# see devstack/README.rst.

function install_magnum {
    setup_develop "$MAGNUM_DIR"
}

function configure_magnum {
    sudo install -d -o "$STACK_USER" "$MAGNUM_CONF_DIR" "$MAGNUM_STATE_PATH"
    rm -f "$MAGNUM_CONF"

    iniset "$MAGNUM_CONF" DEFAULT state_path "$MAGNUM_STATE_PATH"
    iniset "$MAGNUM_CONF" DEFAULT debug "$ENABLE_DEBUG_LOG_LEVEL"
    iniset "$MAGNUM_CONF" DEFAULT auth_strategy keystone
    iniset_rpc_backend magnum "$MAGNUM_CONF"
    iniset "$MAGNUM_CONF" database connection "$(database_connection_url magnum)"
    iniset "$MAGNUM_CONF" api host_ip "$(ipv6_unquote "$MAGNUM_SERVICE_HOST")"
    iniset "$MAGNUM_CONF" api port "$MAGNUM_SERVICE_PORT"
    iniset "$MAGNUM_CONF" api workers "$MAGNUM_API_WORKERS"
    configure_keystone_authtoken_middleware "$MAGNUM_CONF" magnum
}

function create_magnum_accounts {
    create_service_user magnum admin
    local service
    service=$(get_or_create_service magnum container-infra "Container Infrastructure Management Service")
    get_or_create_endpoint "$service" "$REGION_NAME" \
        "$MAGNUM_SERVICE_PROTOCOL://$MAGNUM_SERVICE_HOST:$MAGNUM_SERVICE_PORT/v1"
}

function init_magnum {
    recreate_database magnum
    "$MAGNUM_BIN_DIR/magnum-db-manage" --config-file "$MAGNUM_CONF" upgrade
}

function start_magnum {
    run_process magnum-api "$MAGNUM_BIN_DIR/magnum-api --config-file $MAGNUM_CONF"
    run_process magnum-cond "$MAGNUM_BIN_DIR/magnum-conductor --config-file $MAGNUM_CONF"
    echo "Waiting for magnum-api to answer on port $MAGNUM_SERVICE_PORT"
    if ! wait_for_service "$SERVICE_TIMEOUT" \
        "$MAGNUM_SERVICE_PROTOCOL://$MAGNUM_SERVICE_HOST:$MAGNUM_SERVICE_PORT/healthcheck"; then
        die "$LINENO" "magnum-api did not start"
    fi
}

function stop_magnum {
    stop_process magnum-api
    stop_process magnum-cond
}

if is_service_enabled magnum-api magnum-cond; then
    if [[ "$1" == "stack" && "$2" == "install" ]]; then
        echo_summary "Installing magnum"
        install_magnum
    elif [[ "$1" == "stack" && "$2" == "post-config" ]]; then
        echo_summary "Configuring magnum"
        configure_magnum
        if is_service_enabled key; then
            create_magnum_accounts
        fi
    elif [[ "$1" == "stack" && "$2" == "extra" ]]; then
        echo_summary "Initializing and starting magnum"
        init_magnum
        start_magnum
    fi
    if [[ "$1" == "unstack" ]]; then
        stop_magnum
    fi
    if [[ "$1" == "clean" ]]; then
        sudo rm -rf "$MAGNUM_CONF_DIR" "$MAGNUM_STATE_PATH"
    fi
fi
