{{- define "static-site.labels" -}}
app.kubernetes.io/name: static-site
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
