/// The OpenAPI 3 description of the HTTP API, served at `GET /openapi.yaml`.
///
/// Generated from the repository's `openapi.yaml` by `scripts/generate-openapi-swift.py`: embedded so the binary
/// serves it wherever it runs (a container has no checkout). A test fails when the two differ.
enum OpenAPIDocument {
    static let path = "/openapi.yaml"
    static let contentType = "application/yaml"
    static let text = #"""
        openapi: 3.0.3
        info:
          title: RideEase
          version: "1"
          description: >-
            The HTTP API of the RideEase function bundle (functions.yaml) plus the host's built-in endpoints.
            Every error is JSON: {"error":{"code":"invalid_argument","message":"..."}}. Admin operations need the
            x-api-key header; without a configured key they answer 503 (admin API disabled).
        servers:
          - url: /
        tags:
          - name: serving
          - name: admin
          - name: built-in
        paths:
          /healthz:
            get:
              tags: [serving]
              operationId: healthz
              summary: Liveness, uptime and readiness (a model is loaded)
              parameters:
                - name: probe
                  in: query
                  required: false
                  description: "ready: answer 503 until every variant has a model loaded (startup probe)"
                  schema:
                    type: string
              responses:
                "200":
                  description: Alive; `ready` tells whether every variant has a model
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/Health"
                "503":
                  description: Not ready yet (probe=ready only)
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/Health"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
          /metrics:
            get:
              tags: [built-in]
              operationId: metrics
              summary: Prometheus exposition
              responses:
                "200":
                  description: Metrics in the Prometheus text format
                  content:
                    text/plain:
                      schema:
                        type: string
          /openapi.yaml:
            get:
              tags: [built-in]
              operationId: openapi
              summary: This document
              responses:
                "200":
                  description: The OpenAPI description of this API
                  content:
                    application/yaml:
                      schema:
                        type: string
          /recommendations:
            post:
              tags: [serving]
              operationId: recommend
              summary: Top-k destinations for a rider, A/B variant assigned by user-id hash
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      $ref: "#/components/schemas/RecommendationRequest"
              responses:
                "200":
                  description: Recommendations and the request id of their trace
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/Recommendations"
                "400":
                  $ref: "#/components/responses/InvalidArgument"
                "413":
                  $ref: "#/components/responses/PayloadTooLarge"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
          /traces/{requestId}:
            get:
              tags: [serving]
              operationId: getTrace
              summary: Provenance of one prediction, by request id
              parameters:
                - name: requestId
                  in: path
                  required: true
                  description: The UUIDv7 requestId returned by POST /recommendations
                  schema:
                    type: string
                    pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-7[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$"
              responses:
                "200":
                  description: The trace
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/Trace"
                "400":
                  $ref: "#/components/responses/InvalidArgument"
                "404":
                  $ref: "#/components/responses/NotFound"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
          /events:
            post:
              tags: [serving]
              operationId: ingestEvents
              summary: Ride and conversion events (JSON batch or Pub/Sub push); 2xx means durable
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      $ref: "#/components/schemas/EventBatch"
              responses:
                "200":
                  description: Accepted, duplicate and rejected counts (Pub/Sub pushes are always acknowledged)
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/EventReceipt"
                "400":
                  description: Not JSON, not a batch, more than 1000 events, or every event rejected
                  content:
                    application/json:
                      schema:
                        oneOf:
                          - $ref: "#/components/schemas/Error"
                          - $ref: "#/components/schemas/EventReceipt"
                "413":
                  $ref: "#/components/responses/PayloadTooLarge"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
          /admin/models:
            get:
              tags: [admin]
              operationId: listModels
              summary: Model versions with lineage, metrics and what serves where
              security:
                - adminKey: []
              responses:
                "200":
                  description: Every registered version, newest first, and the current deployment
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [models]
                        properties:
                          models:
                            type: array
                            items:
                              type: object
                              required: [version, serving]
                              properties:
                                version:
                                  type: string
                                serving:
                                  type: array
                                  items:
                                    type: string
                          deployment:
                            $ref: "#/components/schemas/Deployment"
                "401":
                  $ref: "#/components/responses/Unauthenticated"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
          /admin/switch-model:
            post:
              tags: [admin]
              operationId: switchModel
              summary: Hot-swap the model serving control, treatment or both (compare-and-swap of the deployment)
              security:
                - adminKey: []
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [version]
                      properties:
                        version:
                          type: string
                          maxLength: 32
                          pattern: "^v(0|[1-9][0-9]{0,8})[.](0|[1-9][0-9]{0,8})[.](0|[1-9][0-9]{0,8})$"
                          description: A registered model version such as v0.2.0
                        target:
                          type: string
                          description: all (default) or a variant name of the experiment
                          nullable: true
                          enum: [all, control, treatment, null]
              responses:
                "200":
                  $ref: "#/components/responses/DeploymentChange"
                "400":
                  $ref: "#/components/responses/InvalidArgument"
                "401":
                  $ref: "#/components/responses/Unauthenticated"
                "404":
                  $ref: "#/components/responses/NotFound"
                "409":
                  $ref: "#/components/responses/Conflict"
                "413":
                  $ref: "#/components/responses/PayloadTooLarge"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
          /admin/rollback:
            post:
              tags: [admin]
              operationId: rollbackModel
              summary: Return to the previous deployment (any body is ignored)
              security:
                - adminKey: []
              responses:
                "200":
                  $ref: "#/components/responses/DeploymentChange"
                "401":
                  $ref: "#/components/responses/Unauthenticated"
                "409":
                  $ref: "#/components/responses/Conflict"
                "413":
                  $ref: "#/components/responses/PayloadTooLarge"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
          /experiments/{experimentId}/summary:
            get:
              tags: [serving]
              operationId: experimentSummary
              summary: A/B analysis and the ship / rollback / keep-running decision
              parameters:
                - name: experimentId
                  in: path
                  required: true
                  schema:
                    type: string
                - name: windowHours
                  in: query
                  required: false
                  schema:
                    type: integer
                    minimum: 1
                    maximum: 720
                    default: 24
              responses:
                "200":
                  description: Per-variant counts, tests, SRM, guardrails and the decision
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [experimentId, window, variants, test, srm, guardrails, decision, reason]
                        properties:
                          experimentId:
                            type: string
                          window:
                            type: object
                          variants:
                            type: array
                            items:
                              type: object
                              required: [name, weight, users, conversions]
                              properties:
                                name:
                                  type: string
                                weight:
                                  type: number
                                users:
                                  type: integer
                                  minimum: 0
                                conversions:
                                  type: integer
                                  minimum: 0
                          test:
                            type: object
                          srm:
                            type: object
                          guardrails:
                            type: object
                          decision:
                            type: string
                            enum: [ship, rollback, keep-running]
                          reason:
                            type: string
                "400":
                  $ref: "#/components/responses/InvalidArgument"
                "404":
                  $ref: "#/components/responses/NotFound"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
          /experiments/{experimentId}/timeline:
            get:
              tags: [serving]
              operationId: experimentTimeline
              summary: The experiment hour by hour, cumulative counts, always-valid p-value, SRM and decision
              parameters:
                - name: experimentId
                  in: path
                  required: true
                  schema:
                    type: string
                - name: windowHours
                  in: query
                  required: false
                  schema:
                    type: integer
                    minimum: 1
                    maximum: 720
                    default: 24
              responses:
                "200":
                  description: One point per UTC hour of the window, cumulative from its start
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [experimentId, variants, points]
                        properties:
                          experimentId:
                            type: string
                          variants:
                            type: array
                            items:
                              type: string
                          points:
                            type: array
                            items:
                              type: object
                              required: [hourEnding, variants, decision]
                              properties:
                                hourEnding:
                                  type: string
                                  format: date-time
                                variants:
                                  type: array
                                  items:
                                    type: object
                                    required: [variant, users, conversions]
                                    properties:
                                      variant:
                                        type: string
                                      users:
                                        type: integer
                                        minimum: 0
                                      conversions:
                                        type: integer
                                        minimum: 0
                                      conversionRate:
                                        type: number
                                alwaysValidPValue:
                                  type: number
                                srmPValue:
                                  type: number
                                decision:
                                  type: string
                                  enum: [ship, rollback, keep-running]
                "400":
                  $ref: "#/components/responses/InvalidArgument"
                "404":
                  $ref: "#/components/responses/NotFound"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
          /train:
            post:
              tags: [admin]
              operationId: train
              summary: Retrain on the event snapshot and register the next model version
              description: >-
                For small event logs only: above RIDEEASE_HTTP_TRAIN_MAX_EVENT_BYTES of event segments (default 128 MiB,
                about a million rides) the service answers 409 conflict and training runs as the Cloud Run Job
                (rideease train). A run already in progress is also 409.
              security:
                - adminKey: []
              requestBody:
                required: false
                content:
                  application/json:
                    schema:
                      type: object
                      properties:
                        algorithm:
                          type: string
                          nullable: true
                          enum: [ials, ease, popularity, null]
                        tune:
                          type: boolean
                          nullable: true
                        snapshotId:
                          type: string
                          nullable: true
                          pattern: "^snap-[0-9a-f]{16}$"
                        hyperparameters:
                          type: object
                          nullable: true
                          additionalProperties:
                            type: number
              responses:
                "200":
                  description: The run's outcome (registered, or refused by the quality gate)
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [status, runId]
                        properties:
                          status:
                            type: string
                          runId:
                            type: string
                          dataSnapshotId:
                            type: string
                          model:
                            type: object
                          reason:
                            type: string
                          comparison:
                            type: object
                            description: >-
                              With RIDEEASE_GATE_MAX_NDCG_DROP set: the serving control refit on this run's split and both
                              ranked for the same test users; NDCG@10 of each and the paired per-user difference (candidate
                              minus control) with its standard error and 95 % interval.
                            required: [users, candidateNdcg, baselineNdcg, meanDifference, standardError, lower95, upper95]
                            properties:
                              baselineVersion:
                                type: string
                              users:
                                type: integer
                              candidateNdcg:
                                type: number
                              baselineNdcg:
                                type: number
                              meanDifference:
                                type: number
                              standardError:
                                type: number
                              lower95:
                                type: number
                              upper95:
                                type: number
                "400":
                  $ref: "#/components/responses/InvalidArgument"
                "401":
                  $ref: "#/components/responses/Unauthenticated"
                "404":
                  $ref: "#/components/responses/NotFound"
                "409":
                  $ref: "#/components/responses/Conflict"
                "413":
                  $ref: "#/components/responses/PayloadTooLarge"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
        components:
          securitySchemes:
            adminKey:
              type: apiKey
              in: header
              name: x-api-key
              description: MODEL_ADMIN_API_KEY (or the file in MODEL_ADMIN_API_KEY_FILE), compared in constant time
          responses:
            InvalidArgument:
              description: Malformed body or a value out of range (invalid_argument, failed_precondition)
              content:
                application/json:
                  schema:
                    $ref: "#/components/schemas/Error"
            Unauthenticated:
              description: Missing or wrong x-api-key
              content:
                application/json:
                  schema:
                    $ref: "#/components/schemas/Error"
            NotFound:
              description: No such resource
              content:
                application/json:
                  schema:
                    $ref: "#/components/schemas/Error"
            Conflict:
              description: A concurrent change or a run already going
              content:
                application/json:
                  schema:
                    $ref: "#/components/schemas/Error"
            PayloadTooLarge:
              description: The body exceeds the function's maxRequestBytes
              content:
                application/json:
                  schema:
                    $ref: "#/components/schemas/Error"
            Unavailable:
              description: No model deployed yet, admin API disabled, or storage unreachable; retry later
              content:
                application/json:
                  schema:
                    $ref: "#/components/schemas/Error"
            DeadlineExceeded:
              description: The function ran past its timeout
              content:
                application/json:
                  schema:
                    $ref: "#/components/schemas/Error"
            DeploymentChange:
              description: The deployment after the change
              content:
                application/json:
                  schema:
                    type: object
                    required: [experimentId, generation, previous, current]
                    properties:
                      experimentId:
                        type: string
                      generation:
                        type: integer
                      previous:
                        type: object
                        additionalProperties:
                          type: string
                      current:
                        type: object
                        additionalProperties:
                          type: string
          schemas:
            Error:
              type: object
              required: [error]
              properties:
                error:
                  type: object
                  required: [code, message]
                  properties:
                    code:
                      type: string
                      example: invalid_argument
                    message:
                      type: string
            Health:
              type: object
              required: [status, ready, uptimeSeconds, experimentId, deploymentGeneration, models]
              properties:
                status:
                  type: string
                ready:
                  type: boolean
                uptimeSeconds:
                  type: number
                startedAt:
                  type: string
                experimentId:
                  type: string
                deploymentGeneration:
                  type: integer
                models:
                  type: object
                  additionalProperties:
                    type: string
            RecommendationRequest:
              type: object
              required: [userId]
              properties:
                userId:
                  type: string
                  minLength: 1
                  maxLength: 128
                  pattern: "^[^\\x00-\\x1f\\x7f]*[^\\x00-\\x20\\x7f][^\\x00-\\x1f\\x7f]*$"
                  description: 1-128 characters, no control characters, not only spaces
                limit:
                  type: integer
                  nullable: true
                  minimum: 1
                  maximum: 100
                  default: 10
                position:
                  type: object
                  description: Where the rider is; each recommended place in the catalog then carries distanceKm
                  required: [lat, lon]
                  properties:
                    lat:
                      type: number
                      minimum: -90
                      maximum: 90
                    lon:
                      type: number
                      minimum: -180
                      maximum: 180
            Recommendations:
              type: object
              required: [requestId, userId, experimentId, variant, modelVersion, recommendations, fallback]
              properties:
                requestId:
                  type: string
                userId:
                  type: string
                experimentId:
                  type: string
                variant:
                  type: string
                modelVersion:
                  type: string
                fallback:
                  type: boolean
                recommendations:
                  type: array
                  items:
                    type: object
                    required: [itemId, score, rank]
                    description: >-
                      name, lat, lon and category come from the place catalog (rideease places import; the simulator
                      writes one) when it knows the place; distanceKm (great-circle, to the metre) when the request gave a
                      position.
                    properties:
                      itemId:
                        type: string
                      score:
                        type: number
                      rank:
                        type: integer
                      name:
                        type: string
                      lat:
                        type: number
                      lon:
                        type: number
                      category:
                        type: string
                      distanceKm:
                        type: number
            Trace:
              type: object
              required:
                [requestId, userId, experimentId, variant, modelVersion, deploymentGeneration, recommendations]
              properties:
                requestId:
                  type: string
                userId:
                  type: string
                experimentId:
                  type: string
                variant:
                  type: string
                modelVersion:
                  type: string
                deploymentGeneration:
                  type: integer
                dataSnapshotId:
                  type: string
                pipelineGitSha:
                  type: string
                containerImageDigest:
                  type: string
                artifactUri:
                  type: string
                latencyMs:
                  type: number
                fallback:
                  type: boolean
                createdAt:
                  type: string
                recommendations:
                  type: array
                  items:
                    type: object
            Id:
              type: string
              minLength: 1
              maxLength: 128
              pattern: "^[^\\x00-\\x1f\\x7f]+$"
            Event:
              type: object
              description: >-
                An event without a timestamp takes the time it was received (in a Pub/Sub push, the message's
                publishTime) and is stored with
                "timestampSource": "received". Refused only when the timestamp is negative, unreadable or more than a day
                in the future.
              required: [type, userId, itemId]
              properties:
                eventId:
                  $ref: "#/components/schemas/Id"
                type:
                  type: string
                  enum: [ride, conversion]
                userId:
                  $ref: "#/components/schemas/Id"
                itemId:
                  $ref: "#/components/schemas/Id"
                timestamp:
                  description: >-
                    Unix time from 1970 on in seconds, milliseconds or microseconds (recognised by magnitude: below 1e11
                    seconds, below 1e14 milliseconds, above microseconds), or an ISO-8601 / RFC 3339 string with or without
                    fractional seconds and offset (Z, +02:00; none means UTC). Optional: the time received when absent.
                  oneOf:
                    - type: number
                      minimum: 0
                    - type: string
                      example: "1997-12-04T10:15:30.250+02:00"
                weight:
                  type: number
                city:
                  type: string
                pickup:
                  type: string
                requestId:
                  type: string
            EventBatch:
              description: "{\"events\": [...]}, a bare array, one event, or a Pub/Sub push envelope of those"
              oneOf:
                - type: object
                  required: [events]
                  properties:
                    events:
                      type: array
                      maxItems: 1000
                      items:
                        $ref: "#/components/schemas/Event"
                - type: array
                  maxItems: 1000
                  items:
                    $ref: "#/components/schemas/Event"
            EventReceipt:
              type: object
              required: [accepted, duplicates, rejected]
              properties:
                accepted:
                  type: integer
                duplicates:
                  type: integer
                rejected:
                  type: array
                  items:
                    type: object
                    required: [index, error]
                    properties:
                      index:
                        type: integer
                      error:
                        type: string
            Deployment:
              type: object
              required: [experimentId, generation, versions]
              properties:
                experimentId:
                  type: string
                generation:
                  type: integer
                versions:
                  type: object
                  additionalProperties:
                    type: string
                previous:
                  type: object
                  additionalProperties:
                    type: string
                updatedAt:
                  type: string
                updatedBy:
                  type: string

        """#
}
