"""The finder of settings.STATICFILES_DIRS, minus the files of the KRDS package that no page links
and the manifest storage cannot process (static/vendor/README.md).

node_modules/krds-uiux/resources is served as static/krds/. Its css/component/component.css points
its icons at ../../img/img/..., a folder the package lacks, and CompressedManifestStaticFilesStorage
stops collectstatic at a broken url(); the pages link output.css, the same components with working
paths. The CDN bundle (cdn/) names krds.go.kr in its url()s, scss/ is source. Left out here rather
than through the staticfiles app's ignore_patterns: pytest-django's live server serves static files
only when INSTALLED_APPS names django.contrib.staticfiles itself.
"""

from django.contrib.staticfiles.finders import FileSystemFinder

# Matched against the path inside the package's resources/ (a finder's prefix is not part of it).
KRDS_UNUSED = ["css/component/component.css*", "cdn", "scss", "js/component/ui-script_bak.js"]


class AppFileSystemFinder(FileSystemFinder):
    def list(self, ignore_patterns):
        return super().list([*(ignore_patterns or []), *KRDS_UNUSED])
