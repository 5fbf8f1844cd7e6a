{{- define "backed-store.labels" -}}
app.kubernetes.io/name: backed-store
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
